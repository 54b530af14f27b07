// Reading revisions back and checking them against their checksums (see verified.hpp).
#include "verified.hpp"

#include "../engine/error.hpp"
#include "guard.hpp"
#include "owner_rights.hpp"

namespace ender::glue {

std::string revision_checksum(const engine::revision& r) {
    const std::string data = engine::canonical_content(r);
    uint8 digest[PG_SHA256_DIGEST_LENGTH];
    pg_guard([&] {
        pg_cryptohash_ctx* ctx = pg_cryptohash_create(PG_SHA256);
        if (pg_cryptohash_init(ctx) < 0 ||
            pg_cryptohash_update(ctx, reinterpret_cast<const uint8*>(data.data()), data.size()) <
                0 ||
            pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
            elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
        pg_cryptohash_free(ctx);
    });
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * sizeof(digest));
    for (uint8 b : digest) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

namespace {

struct stored {
    engine::revision revision;
    std::string checksum;
};

std::vector<stored> load(const std::vector<std::string>& ids) {
    std::vector<stored> out;
    if (ids.empty()) return out;
    // A join, not "= ANY": a long array would be scanned once per row.
    auto rows = run_owned(
        "SELECT r.id, pg_catalog.array_to_string(r.parents, ' '),"
        "       pg_catalog.array_to_string(r.depends_on, ' '), r.branch_label, r.message,"
        "       r.upgrade_sql, r.downgrade_sql, r.online, r.checksum,"
        // A 0.1 catalog, not updated yet, has no step column.
        "       pg_catalog.to_jsonb(r) OPERATOR(pg_catalog.->>) 'step'"
        "  FROM unnest($1::text[]) AS u(id) JOIN ender.revision r ON r.id = u.id",
        {ids});
    out.reserve(rows.size());
    for (auto& row : rows) {
        engine::revision r{std::move(*row[0]),
                           engine::split_names(*row[1]),
                           engine::split_names(*row[2]),
                           std::move(row[3]),
                           std::move(row[4]),
                           std::move(*row[5]),
                           std::move(row[6]),
                           std::move(row[7])};
        r.step = std::move(row[9]);
        out.push_back({std::move(r), std::move(*row[8])});
    }
    return out;
}

}  // namespace

std::unordered_map<std::string, engine::revision> verified_revisions(
    const std::vector<std::string>& ids) {
    std::unordered_map<std::string, engine::revision> out;
    for (auto& s : load(ids)) {
        if (revision_checksum(s.revision) != s.checksum)
            throw engine::error(
                "XX001", "revision \"" + s.revision.id + "\" does not match its checksum",
                "Its SQL or fields in ender.revision were changed after it was registered; "
                "ender runs only what was registered, and ran nothing.",
                "Register the reviewed migration file again: ender restores the registered "
                "content when the file matches the stored checksum.");
        std::string id = s.revision.id;
        out.emplace(std::move(id), std::move(s.revision));
    }
    return out;
}

std::vector<std::string> altered_revisions(const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (auto& s : load(ids))
        if (revision_checksum(s.revision) != s.checksum) out.push_back(s.revision.id);
    return out;
}

engine::revision verified_revision(const std::string& id) {
    auto found = verified_revisions({id});
    auto it = found.find(id);
    if (it == found.end())
        throw engine::error(engine::sqlstate::undefined_object,
                            "revision \"" + id + "\" is not registered");
    return std::move(it->second);
}

}  // namespace ender::glue
