// expect-error: ender::normalize: the function must take the member's type by reference
#include "models.hpp"

inline auto ender_model(ender::tag<gauge>) {
    using namespace ender;
    return table<gauge>("gauge", column("level", &gauge::level, to_lower()));
}
const auto& mapping = ender::model_of<gauge>();
