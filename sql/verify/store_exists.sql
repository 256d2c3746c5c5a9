SELECT to_regclass('pggit_v2.commit_graph') IS NOT NULL
