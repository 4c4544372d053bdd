"""The first frame must not wait for pandas or plotext (DESIGN §5)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

HEAVY = ("pandas", "plotext", "numpy", "httpx")


def test_importing_the_app_loads_no_heavy_module() -> None:
    code = "import sys, tui.app, tui.cli; print(','.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    loaded = set(out.strip().split(","))
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_first_frame_is_painted_before_any_heavy_import() -> None:
    """Run the app headless; at its first frame (and after the day loads) nothing heavy is in."""
    code = textwrap.dedent("""
        import asyncio, sys
        from datetime import date
        from tui.app import RiskPulseApp

        HEAVY = ("pandas", "plotext", "numpy")

        async def main():
            app = RiskPulseApp(replay=date(2025, 11, 20))
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                first = [m for m in HEAVY if m in sys.modules]
                await app.workers.wait_for_complete()
                await pilot.pause()
                loaded = [m for m in HEAVY if m in sys.modules]
                print(f"first=[{','.join(first)}] loaded=[{','.join(loaded)}]")

        asyncio.run(main())
    """)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip() == "first=[] loaded=[]", out
