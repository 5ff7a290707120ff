"""Yearly performance reports after 立项 (SPEC §4, last point; seed 001 做好绩效统计, seed 004 三（二）、四（八）)."""
