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


def test_first_frame_and_numbers_come_before_any_heavy_import() -> None:
    """Run the app headless: when the day's numbers are painted nothing heavy is in (so neither
    is it at the first frame, which comes before them); the drill-down's modules load after
    that, while the user reads."""
    code = textwrap.dedent("""
        import asyncio, sys
        from datetime import date
        from tui.app import RiskPulseApp
        from tui.screens.dashboard import DashboardScreen

        HEAVY = ("pandas", "plotext", "numpy")
        at_shown = []

        def hook(message):
            if isinstance(message, DashboardScreen.Shown) and not at_shown:
                at_shown.append([m for m in HEAVY if m in sys.modules])

        async def main():
            app = RiskPulseApp(replay=date(2025, 11, 20))
            async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
                for _ in range(500):
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    if at_shown and all(m in sys.modules for m in HEAVY):
                        break
                later = sorted(m for m in HEAVY if m in sys.modules)
                print(f"shown={at_shown} later=[{','.join(later)}]")

        asyncio.run(main())
    """)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip() == "shown=[[]] later=[numpy,pandas,plotext]", out


def test_live_start_leaves_the_drill_downs_modules_for_the_first_enter() -> None:
    """Live, nothing heavy loads by itself: pandas and plotext come with the first drill-down
    (the live idle target is < 120 MB, and the drill-down's panel is then the merged history's)."""
    code = textwrap.dedent("""
        import asyncio, sys
        from tui.app import RiskPulseApp
        from tui.screens.dashboard import DashboardScreen

        HEAVY = ("pandas", "plotext", "numpy")
        shown = []

        def hook(message):
            if isinstance(message, DashboardScreen.Shown):
                shown.append(True)

        async def main():
            app = RiskPulseApp()  # live, with no sources in this run
            async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
                for _ in range(200):
                    await pilot.pause()
                    if shown:
                        break
                for _ in range(20):
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                loaded = sorted(m for m in HEAVY if m in sys.modules)
                print(f"shown={bool(shown)} loaded=[{','.join(loaded)}]")

        asyncio.run(main())
    """)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip() == "shown=True loaded=[]", out
