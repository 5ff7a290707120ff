"""上海市知识产权产学研运营联合体 项目申报 (seed 001): a kind that is its own small app, so it owns its migrations."""
