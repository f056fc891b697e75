"""Findings → routed digests → SMTP; crawl and job failures are alerted too."""
