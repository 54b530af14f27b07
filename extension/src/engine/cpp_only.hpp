// Tripwire for engine code: the engine is plain C++ and must never see PostgreSQL headers.
// Included first by every engine header; a later #include "postgres.h" becomes a no-op, so
// any PostgreSQL symbol used in engine code fails to compile.
#pragma once

// Glue files (which define ENDER_GLUE before anything else) may use engine headers.
#ifndef ENDER_GLUE
#ifdef POSTGRES_H
#error "engine code must not include postgres.h: keep PostgreSQL calls in extension/src/glue"
#endif
#define POSTGRES_H
#endif
