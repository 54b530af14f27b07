// session::describe: the result columns of a prepared statement, asked of the server once per
// statement and session (PQdescribePrepared).
#include "session_impl.hpp"

namespace ender {

const std::vector<result_column>& session::describe(std::string_view sql,
                                                    std::span<const detail::param> params) {
    auto& d = *impl_;
    d.require_connection();
    impl::bound b(sql, params);
    std::uint32_t round_trips = 0;
    const std::string& name = d.prepare(sql, b, round_trips);
    if (auto known = d.described.find(name); known != d.described.end()) return known->second;
    ++d.statements;  // a round trip
    PGresult* r = d.check(PQdescribePrepared(d.conn, name.c_str()), sql);
    std::vector<result_column> columns;
    columns.reserve(std::size_t(PQnfields(r)));
    for (int i = 0; i < PQnfields(r); ++i) columns.push_back({PQfname(r, i), PQftype(r, i)});
    PQclear(r);
    return d.described.emplace(name, std::move(columns)).first->second;
}

}  // namespace ender
