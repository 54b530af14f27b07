// expect-error: cannot convert
#include "relation_models.hpp"

// back_populates names the children's ref to their owner: a collection is not one.
void use() {
    auto d = ender::belongs_to(&member::home, &member::club_id).back_populates(&club::members);
    (void)d;
}
