-- Extended statistics: each kind alone and all of them (the kinds are then
-- left out of the definition), expressions, a statistics object in another
-- schema than its table, one on a materialized view, quoted names, a
-- statistics target, and a comment.
CREATE SCHEMA st;
CREATE SCHEMA "Stats Elsewhere";
CREATE TABLE st.orders (
    id integer PRIMARY KEY,
    "User Id" integer,
    price numeric,
    qty integer,
    placed date
);
CREATE MATERIALIZED VIEW st.daily AS
    SELECT placed, sum(price * qty) AS revenue, count(*) AS n FROM st.orders GROUP BY placed;

CREATE STATISTICS st.all_kinds ON "User Id", price FROM st.orders;
CREATE STATISTICS st.nd (ndistinct) ON "User Id", price, qty FROM st.orders;
CREATE STATISTICS st.deps (dependencies) ON price, qty FROM st.orders;
CREATE STATISTICS st."MCV List" (mcv, ndistinct) ON "User Id", placed FROM st.orders;
CREATE STATISTICS st.exprs ON (price * qty), (date_trunc('month', placed::timestamp))
    FROM st.orders;
CREATE STATISTICS st.one_expr ON (lower(id::text)) FROM st.orders;
CREATE STATISTICS "Stats Elsewhere".remote (dependencies) ON price, placed FROM st.orders;
CREATE STATISTICS st.on_matview ON placed, n FROM st.daily;

ALTER STATISTICS st.deps SET STATISTICS 500;
ALTER STATISTICS st.one_expr SET STATISTICS 0;
COMMENT ON STATISTICS st.nd IS 'distinct counts';
