// The standalone `ender` command: every verb that needs no C++ models (docs/cli.md). An
// application's own migrate program calls ender::cli::main with its models instead.
#include "ender/cli.hpp"

int main(int argc, char** argv) {
    return ender::cli::main(argc, argv);
}
