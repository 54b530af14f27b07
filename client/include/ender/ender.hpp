// libender: everything in one include.
#pragma once

#include "ender/error.hpp"
#include "ender/types.hpp"
#include "ender/session.hpp"
#include "ender/model.hpp"
#include "ender/query.hpp"
#include "ender/relationship.hpp"
#include "ender/load.hpp"
#include "ender/inheritance.hpp"
#include "ender/bulk.hpp"
#include "ender/schema.hpp"
#include "ender/pool.hpp"
#include "ender/scan_check.hpp"
#include "ender/observe.hpp"
