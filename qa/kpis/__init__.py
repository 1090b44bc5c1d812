"""Contact-centre KPI values per call (FCR, CSAT, NPS, AHT), imported from outside systems."""
