// expect-error: ender::ge/gt/le/lt: the member must be a number
#include "models.hpp"

inline auto ender_model(ender::tag<gauge>) {
    using namespace ender;
    return table<gauge>("gauge", column("label", &gauge::label, ge(0)));
}
const auto& mapping = ender::model_of<gauge>();
