-- Does this database hold a v2 store to check out from?
SELECT to_regclass('pggit_v2.commit_graph') IS NOT NULL
   AND to_regclass('pggit_v2.tree_entries') IS NOT NULL
   AND to_regclass('pggit_v2.objects') IS NOT NULL
