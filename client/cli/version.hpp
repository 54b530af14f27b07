// The command's version and the extension version it expects (both from ender.control, set
// by the build), for --version and the check made on connecting.
#pragma once

#include "ender/session.hpp"

#include <string>

namespace ender::cli {

// "ender 0.2" and the extension version this command's SQL is written against.
std::string version_text(const std::string& program);

// Whether version `a` ("0.1") is older than `b` ("0.2"), comparing the dotted numbers.
bool version_older(const std::string& a, const std::string& b);

// A warning on stderr when the database's ender extension is older than the one this command
// expects (prefixed with `label` when there is one); nothing when it is not installed.
void warn_if_extension_older(ender::session& db, const std::string& label);

}  // namespace ender::cli
