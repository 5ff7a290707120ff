"""China's official working-day calendar: the State Council's holidays and the 调休 working
weekends (SPEC §6a). Every period the portal counts in working days (公示, expert due dates,
补正 deadlines, processing times) is counted here."""
