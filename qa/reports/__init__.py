"""Weekly team reports: what moved week over week, and the calls behind each movement."""
