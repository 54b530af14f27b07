// The backfill throttle on replication lag: see replication.hpp and docs/replication.md.
#include "pg.hpp"  // first: PostgreSQL headers before any other

#include "replication.hpp"
#include "spi.hpp"

#include <string>

namespace ender::glue {

int setting_backfill_max_replication_lag_kb = 0;

bool replication_lag_over_limit() {
    if (setting_backfill_max_replication_lag_kb <= 0) return false;
    // The same measure as ender_status().replication_lag_bytes: WAL written here that the
    // furthest-behind connected subscriber or standby has not applied yet.
    auto rows = run_cached(
        "SELECT COALESCE(pg_catalog.max(pg_catalog.pg_wal_lsn_diff("
        "           pg_catalog.pg_current_wal_lsn(), COALESCE(r.replay_lsn, r.flush_lsn))), 0)"
        "       > $1::bigint * 1024"
        "  FROM pg_catalog.pg_stat_replication r",
        {std::to_string(setting_backfill_max_replication_lag_kb)});
    return !rows.empty() && rows.front()[0] && *rows.front()[0] == "t";
}

}  // namespace ender::glue
