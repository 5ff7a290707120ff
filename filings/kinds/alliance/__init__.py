"""上海市产业知识产权联盟备案 (seed 000 and its annexed 申请书; seed 002 建设指南)."""
