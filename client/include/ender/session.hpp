// A session: one libpq connection with bound parameters, binary results, a per-session cache
// of prepared statements, RAII transactions and savepoints. No libpq type appears here.
#pragma once

#include "ender/detail/param.hpp"
#include "ender/error.hpp"
#include "ender/types.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

struct pg_conn;
struct pg_result;

namespace ender {

class session;
template <class T>
class select_query;
template <class T>
class polymorphic_query;
template <class... V>
class projection;
template <class T>
class patch;
template <class V>
struct expr;
struct returning_ids_t;
template <class K>
struct in_batches;
template <class K>
struct batch_progress;
namespace detail {
template <class T>
struct is_patch : std::false_type {};
template <class T>
struct is_patch<patch<T>> : std::true_type {};
// What session::select<T>() returns: select_query<T> for a model, shape_query<T> for a read
// shape (select.hpp).
template <class T>
struct select_of;

// The headers that define session's member templates for models each complete a tag here, which
// those members require: a member called without its header included does not compile (the
// error names the tag, e.g. include_ender_query_hpp<hero>) instead of failing to link.
template <class T>
struct include_ender_query_hpp;  // get, insert, update, remove (ender/query.hpp)
template <class T>
struct include_ender_bulk_hpp;  // insert_many, update_where, delete_where, upsert (ender/bulk.hpp)
template <class T>
struct include_ender_relationship_hpp;  // insert_graph (ender/relationship.hpp)
template <class T>
struct include_ender_load_hpp;  // load (ender/load.hpp)
template <template <class> class Tag, class T>
concept defined_by = requires {
    sizeof(Tag<T>);
};

}  // namespace detail

// The rows of one statement, held in binary format. Cheap to copy (shared).
class result {
public:
    std::size_t size() const noexcept;  // rows
    bool empty() const noexcept { return size() == 0; }
    std::size_t columns() const noexcept;
    std::string column_name(std::size_t column) const;
    // The column's position, or nullopt.
    std::optional<std::size_t> find_column(std::string_view name) const;
    oid column_type(std::size_t column) const noexcept;
    bool is_null(std::size_t row, std::size_t column) const noexcept;
    // The raw field (binary format).
    std::string_view field(std::size_t row, std::size_t column) const noexcept;
    // A field as row_fields reads it: its bytes (binary format), or null.
    struct field_ref {
        std::string_view bytes;
        bool null = false;
    };
    // Fields [first, first + out.size()) of a row, in one call (the caller checked the
    // position): how model_reader reads a row.
    void row_fields(std::size_t row, std::size_t first, std::span<field_ref> out) const noexcept;
    // Rows changed by an INSERT/UPDATE/DELETE.
    std::uint64_t affected_rows() const;

    // The field converted to T (std::optional<T> for NULL); throws ender::data_error when
    // the field is NULL and T is not optional, or the column's type does not fit T.
    template <class T>
    T get(std::size_t row, std::size_t column) const {
        check_position(row, column);
        return get_unchecked<T>(row, column);
    }
    // get() for a position the caller has checked (row < size(), column < columns()).
    template <class T>
    T get_unchecked(std::size_t row, std::size_t column) const {
        if (is_null(row, column)) {
            if constexpr (is_optional_v<T>)
                return std::nullopt;
            else
                null_into_non_optional(column);
        }
        if constexpr (is_optional_v<T>)
            return T(
                detail::decode_field<strip_optional_t<T>>(field(row, column), column_type(column)));
        else
            return detail::decode_field<T>(field(row, column), column_type(column));
    }

    // Throws ender::usage_error unless the result has exactly `wanted` columns.
    void check_width(std::size_t wanted) const;

    // Row `row` as a tuple of the given types, columns in order.
    template <class... Ts>
    std::tuple<Ts...> tuple(std::size_t row) const {
        check_width(sizeof...(Ts));
        return tuple_at<Ts...>(row, std::index_sequence_for<Ts...>{});
    }

    explicit result(std::shared_ptr<pg_result> r) : r_(std::move(r)) {}

private:
    template <class... Ts, std::size_t... I>
    std::tuple<Ts...> tuple_at(std::size_t row, std::index_sequence<I...>) const {
        return std::tuple<Ts...>(get<Ts>(row, I)...);
    }
    void check_position(std::size_t row, std::size_t column) const;
    [[noreturn]] void null_into_non_optional(std::size_t column) const;

    std::shared_ptr<pg_result> r_;
};

// A column of a statement's result as the server describes the prepared statement.
struct result_column {
    std::string name;
    oid type = 0;
    friend bool operator==(const result_column&, const result_column&) = default;
};

enum class isolation { read_committed, repeatable_read, serializable };

// What the statement hook (session::on_statement) receives after every statement.
struct statement_info {
    std::string_view sql;
    std::chrono::nanoseconds duration{};  // from sending to the whole result received
    std::uint64_t rows = 0;               // returned, or changed by INSERT/UPDATE/DELETE/COPY
    // 2 when the statement was prepared first; in a pipeline, 1 for its first statement and 0 for
    // the others (the sum over the hook's calls is the number of round trips).
    std::uint32_t round_trips = 1;
    // "$1 = <redacted>" unless the hook was installed with parameters::shown (then the text,
    // or \x-hex of binary values).
    std::span<const std::string> parameters;
};
enum class parameters { redacted, shown };

// One statement of a pipeline (session::run_pipeline): SQL and its bound parameters.
struct pipelined {
    std::string sql;
    std::vector<detail::param> params;
};

// Statements run and round trips made by a session (counts() - earlier counts()).
struct statement_counts {
    std::uint64_t statements = 0;   // executed: queries, commands, COPY (not PREPARE)
    std::uint64_t round_trips = 0;  // waits for the server: PREPARE, execute, COPY, a pipeline
    friend statement_counts operator-(statement_counts a, statement_counts b) {
        return {a.statements - b.statements, a.round_trips - b.round_trips};
    }
    friend bool operator==(const statement_counts&, const statement_counts&) = default;
};

// How remove() deletes: by setting deleted_at when the model embeds ender::soft_delete, or
// always with DELETE.
enum class removal { soft_when_mapped, hard };
inline constexpr removal hard_delete = removal::hard;

class savepoint;

// BEGIN ... COMMIT; rolled back by the destructor unless commit() ran. One per session at a
// time: nest with savepoint().
class transaction {
public:
    transaction(transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    transaction& operator=(transaction&&) = delete;
    ~transaction();

    void commit();
    void rollback();
    bool active() const noexcept { return db_ != nullptr; }
    // A savepoint inside this transaction, rolled back by its destructor unless released.
    ender::savepoint savepoint();

private:
    friend class session;
    explicit transaction(session& db) : db_(&db) {}
    session* db_;
};

class savepoint {
public:
    savepoint(savepoint&& other) noexcept
        : db_(std::exchange(other.db_, nullptr)), name_(std::move(other.name_)) {}
    savepoint& operator=(savepoint&&) = delete;
    ~savepoint();

    // RELEASE SAVEPOINT: keep what was done since it was taken.
    void release();
    // ROLLBACK TO SAVEPOINT: undo what was done since it was taken (and release it).
    void rollback();
    const std::string& name() const noexcept { return name_; }

private:
    friend class session;
    savepoint(session& db, std::string name) : db_(&db), name_(std::move(name)) {}
    session* db_;
    std::string name_;
};

class session {
public:
    // Connects with $ENDER_DSN, else $DATABASE_URL, else libpq's defaults (PGHOST,
    // PGDATABASE... environment variables).
    session();
    // Connects with a URI ("postgresql://user@host/db") or a keyword string
    // ("host=... dbname=..."); throws ender::connection_lost when the server is unreachable.
    explicit session(const std::string& conninfo);
    session(session&&) noexcept;
    session& operator=(session&&) noexcept;
    ~session();

    // Runs SQL text without parameters (several statements allowed, simple protocol).
    void execute(std::string_view sql);

    // Runs one statement with bound parameters ($1, $2...), prepared once per session and
    // cached; the result is in binary format.
    template <detail::bindable... A>
    result exec(std::string_view sql, const A&... params) {
        std::vector<detail::param> ps;
        ps.reserve(sizeof...(A));
        (ps.push_back(detail::to_param(params)), ...);
        return run(sql, ps);
    }
    result run(std::string_view sql, std::span<const detail::param> params);
    // Runs independent statements in one round trip (libpq pipeline mode), each prepared once
    // per session as exec() does, and returns their results in order. When one fails, the
    // statements after it do not run, every result is still read, and its error is thrown: the
    // connection stays usable. Outside a transaction the statements share one implicit
    // transaction (a failure undoes the ones before it).
    std::vector<result> run_pipeline(std::span<const pipelined> statements);
    // The columns the statement returns (names and type OIDs), from the server's description
    // of it prepared (PQdescribePrepared): prepared and described once per session, as run()
    // prepares; nothing is executed.
    const std::vector<result_column>& describe(std::string_view sql,
                                               std::span<const detail::param> params);
    // run_pipeline, each result handed to `each(i, result)` as it arrives (i: the statement's
    // position) and released after unless kept, so that a long pipeline never holds all its
    // results. The first error (the server's, or one `each` throws) is thrown once every result
    // is read; `each` is not called after it.
    void run_pipeline(std::span<const pipelined> statements,
                      const std::function<void(std::size_t, const result&)>& each);

    // Raw SQL with typed rows: Row is a std::tuple (columns by position), a mapped model
    // (columns by name, include <ender/query.hpp>) or a single mapped type (one column).
    template <class Row, detail::bindable... A>
    std::vector<Row> query(std::string_view sql, const A&... params);

    // The single value of a one-row, one-column statement.
    template <class T, detail::bindable... A>
    T scalar(std::string_view sql, const A&... params) {
        auto r = exec(sql, params...);
        expect_single(r);
        return r.template get<T>(0, 0);
    }

    transaction begin(std::optional<isolation> level = std::nullopt);
    bool in_transaction() const noexcept;
    // A savepoint in the transaction in progress (25P01 when there is none).
    ender::savepoint savepoint();

    // Models (defined in <ender/query.hpp>; include it or <ender/ender.hpp>).
    // A select of whole T objects, or of read shape T (shape.hpp).
    template <class T>
    typename detail::select_of<T>::type select();
    // A select of expressions (columns, aggregates): rows are tuples of their types.
    template <class... V>
    projection<V...> select(const expr<V>&... exprs);
    // A select of a whole inheritance hierarchy, each row as the type it is (defined in
    // <ender/inheritance.hpp>): std::variant<employee, manager, engineer> objects.
    template <class T>
    polymorphic_query<T> select_polymorphic();
    // The object with this primary key (one value per key column), or nullopt.
    template <class T, class... K>
    requires detail::defined_by<detail::include_ender_query_hpp, T> std::optional<T> get(
        const K&... key);
    // INSERT; the object is filled back from RETURNING (identity, defaults).
    template <class T>
    requires(!detail::is_patch<T>::value &&
             detail::defined_by<detail::include_ender_query_hpp, T>) void insert(T& object);
    // INSERT of only the fields set in the patch (the create shape); returns the new row.
    template <class T>
    requires detail::defined_by<detail::include_ender_query_hpp, T> T
    insert(const patch<T>& values);
    // UPDATE by primary key; throws ender::error P0002 when no row has the key.
    template <class T>
    requires detail::defined_by<detail::include_ender_query_hpp, T>
    void update(T& object);
    // UPDATE of only the fields set in the patch (the update shape); nullopt when no row.
    template <class T, class... K>
    requires detail::defined_by<detail::include_ender_query_hpp, T> std::optional<T> update(
        const patch<T>& values, const K&... key);
    // DELETE by primary key, or deleted_at set for a model with the soft-delete mixin (unless
    // ender::hard_delete); the children of relationships declared with ender::cascade are
    // removed first, the same way, in one transaction (the caller's when one is in progress).
    template <class T>
    requires detail::defined_by<detail::include_ender_query_hpp, T>
    void remove(T& object, removal mode = removal::soft_when_mapped);
    // Clears deleted_at of a soft-deleted object (P0002 when its row is not deleted).
    template <class T>
    requires detail::defined_by<detail::include_ender_query_hpp, T>
    void restore(T& object);
    template <class T>
    std::string explain(const select_query<T>& query, bool analyze = false);
    // Bulk writes (defined in <ender/bulk.hpp>).
    // INSERT of many objects in one COPY ... FROM STDIN (FORMAT binary) (multi-row INSERTs
    // when a column's type has no binary form); the objects are not read back.
    template <class T>
    requires detail::defined_by<detail::include_ender_bulk_hpp, T>
    void insert_many(const std::vector<T>& objects);
    // The same, and the objects' primary keys filled: the ids are taken from the key's
    // sequence first (one statement), then sent with the rows (identity keys, ALWAYS or BY
    // DEFAULT, and serial keys).
    template <class T>
    requires detail::defined_by<detail::include_ender_bulk_hpp, T>
    void insert_many(std::vector<T>& objects, returning_ids_t);
    // UPDATE of the patch's fields in every row matching `where`; returns the rows changed.
    template <class T>
    requires detail::defined_by<detail::include_ender_bulk_hpp, T> std::uint64_t update_where(
        const patch<T>& values, const expr<bool>& where);
    // DELETE of every row matching `where` (a hard delete, soft-delete mixin or not).
    template <class T>
    requires detail::defined_by<detail::include_ender_bulk_hpp, T> std::uint64_t delete_where(
        const expr<bool>& where);
    // UPDATE of the listed fields of every object by its primary key, in one statement
    // (UPDATE ... FROM unnest of one array per column; VALUES rows when a field's type has no
    // binary form); soft-deleted rows are skipped. Returns the rows changed.
    template <class T, class... M>
    requires detail::defined_by<detail::include_ender_bulk_hpp, T> std::uint64_t update_many(
        const std::vector<T>& objects, M T::*... fields);
    // update_where / delete_where in batches of keys, in primary-key order, each batch committed
    // on its own (not in a transaction): resumable after the last key done (bulk_update.hpp).
    template <class T, class K>
    requires detail::defined_by<detail::include_ender_bulk_hpp, T> batch_progress<K> update_where(
        const patch<T>& values, const expr<bool>& where, const in_batches<K>& batches);
    template <class T, class K>
    requires detail::defined_by<detail::include_ender_bulk_hpp, T> batch_progress<K> delete_where(
        const expr<bool>& where, const in_batches<K>& batches);
    // INSERT ... ON CONFLICT (the listed members' columns) DO UPDATE SET the other columns;
    // the object is read back.
    template <class T, class... M>
    requires detail::defined_by<detail::include_ender_bulk_hpp, T>
    void upsert(T& object, M T::*... conflict);
    // The same for many objects (multi-row statements); returns the rows inserted or updated.
    template <class T, class... M>
    requires detail::defined_by<detail::include_ender_bulk_hpp, T> std::uint64_t upsert_many(
        const std::vector<T>& objects, M T::*... conflict);
    // INSERT of the object and of the new objects of its loaded relationships, level by level
    // (relationship.hpp), in one transaction (the caller's when one is in progress): per level
    // and relationship one COPY of the new objects (their ids taken from the key's sequence
    // first, their foreign keys set to their owner's key), one UPDATE pointing persistent
    // children (their generated key set) at their owner, one INSERT of link rows for
    // many_to_many (ON CONFLICT DO NOTHING). Persistent objects are not otherwise written, and
    // belongs_to references are not followed: the statements depend on the levels, not the rows.
    template <class T>
    requires detail::defined_by<detail::include_ender_relationship_hpp, T>
    void insert_graph(T& object);
    template <class T>
    requires detail::defined_by<detail::include_ender_relationship_hpp, T>
    void insert_graph(std::vector<T>& objects);
    // COPY ... FROM STDIN: `next` appends the next piece of data to its argument and returns
    // false when there is no more. One round trip for the whole stream.
    void copy_in(std::string_view sql, const std::function<bool(std::string&)>& next);

    // Loads relationships onto objects in hand (load.hpp): a path of relationship members,
    // one query per step (per batch of keys); relationships already loaded are kept.
    template <class T, class... P>
    requires detail::defined_by<detail::include_ender_load_hpp, T>
    void load(std::vector<T>& objects, const P&... path);
    template <class T, class... P>
    requires detail::defined_by<detail::include_ender_load_hpp, T>
    void load(T& object, const P&... path);

    // Statements sent since the session opened (tests use it to count round trips).
    std::uint64_t statement_count() const noexcept;
    // Statements executed and round trips made since the session opened: tests assert "this
    // page loads in exactly 3 statements" with counts() - before.
    statement_counts counts() const noexcept;
    // Calls `hook` after every statement with its SQL, duration, rows and round trips (the base
    // of logging, metrics and N+1 alarms); parameter values are redacted unless asked for.
    // An empty function removes the hook.
    void on_statement(std::function<void(const statement_info&)> hook,
                      parameters shown = parameters::redacted);
    // Prepared statements in this session's cache.
    std::size_t prepared_count() const noexcept;
    // Whether the connection is up; after connection_lost it is not, until reconnect().
    bool connected() const noexcept;
    // Opens a new connection with the same parameters (prepared statements are forgotten).
    void reconnect();
    // Gives the connection back the state of a new session, for its next user (ender::pool
    // does it when a lease ends): the role and session authorization, every setting,
    // temporary tables, advisory locks, LISTENs and cursors, as DISCARD ALL does; the
    // statement hook and the notice handler are removed. The statements ender prepared stay
    // prepared (the server plans them again for another role or search_path). Outside a
    // transaction only (usage_error, 25001).
    void reset();
    // Receives the server's notices and warnings (RAISE NOTICE, "table does not exist,
    // skipping"); by default they are dropped rather than printed on stderr.
    void on_notice(std::function<void(std::string_view)> handler);
    // The server's process id (pg_backend_pid()).
    int backend_pid() const noexcept;

private:
    friend class transaction;
    friend class savepoint;
    void expect_single(const result& r) const;
    struct impl;
    std::unique_ptr<impl> impl_;
};

namespace detail {
template <class T>
struct is_tuple : std::false_type {};
template <class... Ts>
struct is_tuple<std::tuple<Ts...>> : std::true_type {};

// How raw rows become a model: defined by query.hpp for mapped models.
template <class Row>
struct row_reader;
}  // namespace detail

template <class Row, detail::bindable... A>
std::vector<Row> session::query(std::string_view sql, const A&... params) {
    auto r = exec(sql, params...);
    std::vector<Row> rows;
    rows.reserve(r.size());
    if constexpr (detail::is_tuple<Row>::value) {
        [&]<class... Ts>(std::tuple<Ts...>*) {
            for (std::size_t i = 0; i < r.size(); ++i) rows.push_back(r.template tuple<Ts...>(i));
        }(static_cast<Row*>(nullptr));
    } else if constexpr (mapped_type<Row>) {
        for (std::size_t i = 0; i < r.size(); ++i) rows.push_back(r.template get<Row>(i, 0));
    } else {
        detail::row_reader<Row> reader(r);
        for (std::size_t i = 0; i < r.size(); ++i) rows.push_back(reader.read(i));
    }
    return rows;
}

}  // namespace ender
