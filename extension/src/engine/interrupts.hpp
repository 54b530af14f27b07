// Long loops of the engine (parsing a document, planning a diff) poll for interrupts, so a
// statement_timeout or pg_cancel_backend ends them as it ends any query. The engine knows
// nothing of PostgreSQL: the glue installs the check (module.cpp), which throws when a cancel
// is pending; the engine's code is exception-safe, so the throw unwinds it cleanly.
#pragma once

namespace ender::engine {

using interrupt_check = void (*)();

// Installs the check poll_interrupts() runs (nullptr: none, as in the engine's own tests).
void set_interrupt_check(interrupt_check check);

// Runs the installed check every 256th call: cheap enough for every element of a loop.
void poll_interrupts();

}  // namespace ender::engine
