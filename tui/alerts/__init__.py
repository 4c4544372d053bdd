"""Alerts: rules (`rules`), their evaluation against snapshots (`evaluate`), the state file
(`state`), the replay of bundled days (`backtest`) and the `riskpulse alerts` command."""
