// expect-error: back_populates needs shared objects
#include "relation_models.hpp"

// A many<T> holds a copy of each target per owner: nothing could point back at the owner.
struct label;
struct labelled {
    std::int64_t id{};
    ender::many<label> labels;
};
struct label {
    std::int64_t id{};
    ender::shared_many<labelled> items;
};
struct labelling {
    std::int64_t labelled_id{};
    std::int64_t label_id{};
};

void use() {
    auto d = ender::many_to_many(&labelled::labels,
                                 ender::via(&labelling::labelled_id, &labelling::label_id))
                 .back_populates(&label::items);
    (void)d;
}
