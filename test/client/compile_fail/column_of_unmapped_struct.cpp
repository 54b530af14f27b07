// expect-error: mapped_model
#include "models.hpp"

void use() {
    (void)ender::col(&unmapped::x);
}
