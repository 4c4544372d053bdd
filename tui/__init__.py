"""riskpulse: a terminal market monitor that explains, from data, why markets moved.

The package root stays import-light: the first frame must not wait for pandas or plotext.
"""

__version__ = "0.1.0"
