// The engine's interrupt polling (interrupts.hpp).
#include "interrupts.hpp"

namespace ender::engine {
namespace {

thread_local interrupt_check installed = nullptr;
thread_local unsigned calls = 0;

}  // namespace

void set_interrupt_check(interrupt_check check) {
    installed = check;
}

void poll_interrupts() {
    if (installed && (++calls & 255U) == 0) installed();
}

}  // namespace ender::engine
