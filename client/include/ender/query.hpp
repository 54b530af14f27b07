// Queries over mapped models: typed expressions over member pointers (comparisons, &&, ||, !,
// in, like, is_null, aggregates, exists), select builders with joins, grouping, ordering and
// paging, read shapes, subqueries, CTEs (data-modifying too), window functions, raw rows mapped
// to models, explain, and insert/get/update/remove of objects.
#pragma once

#include "ender/arithmetic.hpp"
#include "ender/cte.hpp"
#include "ender/cte_write.hpp"
#include "ender/expression.hpp"
#include "ender/select.hpp"
#include "ender/shape.hpp"
#include "ender/subquery.hpp"
#include "ender/window.hpp"
#include "ender/write.hpp"
