// expect-error: only has_many and has_one have children to remove
#include "relation_models.hpp"

void use() {
    auto d =
        ender::belongs_to(&member::home, &member::club_id).cascade(ender::cascade::delete_children);
    (void)d;
}
