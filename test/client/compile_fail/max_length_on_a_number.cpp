// expect-error: ender::max_length: the member must be a std::string
#include "models.hpp"

inline auto ender_model(ender::tag<gauge>) {
    using namespace ender;
    return table<gauge>("gauge", column("level", &gauge::level, max_length(10)));
}
const auto& mapping = ender::model_of<gauge>();
