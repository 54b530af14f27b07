// What docs/pool.md's block takes as known without showing it: a server's request and the model
// it reads. Compiled before the block by check.cmake.
#pragma once

struct request {
    std::int64_t order_id{};
};

struct order {
    std::int64_t id{};
    std::string customer;
};
inline auto ender_model(ender::tag<order>) {
    return ender::table<order>("orders", ender::column("id", &order::id, ender::primary_key()),
                               ender::column("customer", &order::customer));
}
