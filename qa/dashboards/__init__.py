"""Team and agent dashboards: QA score trends, item failures, agreement, volumes and KPIs."""
