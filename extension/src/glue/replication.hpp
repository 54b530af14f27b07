// Replication and the online executor (docs/replication.md): the lag of this server's
// subscribers and standbys, and the backfill throttle that waits for them.
#pragma once

namespace ender::glue {

// ender.backfill_max_replication_lag, in kB; 0: no throttle.
extern int setting_backfill_max_replication_lag_kb;

// How long a throttled worker waits before it looks at the lag again.
constexpr long replication_throttle_pause_ms = 100;

// Whether a backfill batch must wait: the setting is on and some walsender of this server
// (a logical subscriber or a streaming standby) is further behind than it. Runs a query;
// call inside a transaction with SPI connected.
bool replication_lag_over_limit();

}  // namespace ender::glue
