-- Text search dictionaries and configurations: dictionaries of several
-- templates with options (written sorted by name here: ddlsnap sorts them,
-- PostgreSQL keeps them as written), one without options, quoted names; a
-- configuration copied from a built-in one and changed (a user dictionary
-- first in a mapping, a token type dropped), one built from the parser with
-- a few mappings, dictionaries of another schema, and comments. Parsers and
-- templates are made of C functions: not captured.
CREATE SCHEMA fts;
CREATE SCHEMA "Search Dicts";

CREATE TEXT SEARCH DICTIONARY fts.stop_simple (
    TEMPLATE = simple, accept = false, stopwords = english);
CREATE TEXT SEARCH DICTIONARY fts.plain (TEMPLATE = simple);
CREATE TEXT SEARCH DICTIONARY fts.en_ispell (
    TEMPLATE = ispell, afffile = ispell_sample, dictfile = ispell_sample, stopwords = english);
CREATE TEXT SEARCH DICTIONARY "Search Dicts"."Synonyms" (
    TEMPLATE = synonym, casesensitive = true, synonyms = synonym_sample);
CREATE TEXT SEARCH DICTIONARY "Search Dicts".thesaurus (
    TEMPLATE = thesaurus, dictfile = thesaurus_sample, dictionary = english_stem);
CREATE TEXT SEARCH DICTIONARY fts.en_snow (
    TEMPLATE = snowball, language = english, stopwords = english);

CREATE TEXT SEARCH CONFIGURATION fts.english_plus (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION fts.english_plus
    ALTER MAPPING FOR asciiword, word WITH "Search Dicts"."Synonyms", fts.en_snow;
ALTER TEXT SEARCH CONFIGURATION fts.english_plus DROP MAPPING FOR url, url_path;

CREATE TEXT SEARCH CONFIGURATION fts."Minimal" (PARSER = pg_catalog."default");
ALTER TEXT SEARCH CONFIGURATION fts."Minimal"
    ADD MAPPING FOR int, uint, float WITH simple;
ALTER TEXT SEARCH CONFIGURATION fts."Minimal"
    ADD MAPPING FOR asciiword WITH "Search Dicts".thesaurus, fts.stop_simple, fts.plain;

CREATE TEXT SEARCH CONFIGURATION fts.empty (PARSER = pg_catalog."default");

COMMENT ON TEXT SEARCH DICTIONARY fts.plain IS 'keeps every word';
COMMENT ON TEXT SEARCH CONFIGURATION fts."Minimal" IS 'numbers and words';
