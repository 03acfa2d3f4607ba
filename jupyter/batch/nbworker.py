"""One worker of `npm start` (scripts/notebooks.ts): executes notebooks one after another on one
tslab kernel (jupyter/batch/tslab-batch-kernel.cjs), resetting it to a fresh kernel's state
between notebooks, instead of one `jupyter nbconvert --execute` (and one kernel) per notebook.

Execution is nbconvert's: nbclient's NotebookClient with the settings of
`jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300
--ExecutePreprocessor.record_timing=False`, on notebooks read and written with nbformat.

Protocol: one JSON object per line on stdin, one answer per line on stdout.
  {"notebook": "<ipynb text>", "env": {"NAME": "value", ...}}
  -> {"ok": true, "notebook": "<executed ipynb text>", "kernelMs": <ms spent starting a kernel>}
  -> {"ok": false, "error": "<what nbconvert prints on stderr: the failing cell and the reason>"}
After a failure, a timeout or a refused reset, the next notebook gets a new kernel.
Run with JUPYTER_PATH=<root>/jupyter/batch so the swapcost-ts-batch kernelspec is found.
"""
import asyncio
import atexit
import json
import sys
import time
import traceback

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

KERNEL = "swapcost-ts-batch"
CELL_TIMEOUT_S = 300
STARTUP_TIMEOUT_S = 60
RESET = "//%swapcost-batch-reset "


class Worker:
    def __init__(self) -> None:
        self.km = None
        self.kc = None

    async def start(self) -> float:
        t = time.monotonic()
        self.km = AsyncKernelManager(kernel_name=KERNEL)
        # The kernel writes to this process's stderr, never to its stdout: stdout is the protocol
        # pipe, and a Node.js kernel sharing it would set it O_NONBLOCK (on the shared open file
        # description), so a large answer would fail part-way with BlockingIOError.
        await self.km.start_kernel(stdout=sys.stderr.fileno())
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=STARTUP_TIMEOUT_S)
        self.kc.allow_stdin = False
        return (time.monotonic() - t) * 1000

    async def stop(self) -> None:
        if self.km is None:
            return
        try:
            if await self.km.is_alive():
                await self.km.shutdown_kernel(now=False)
        except RuntimeError:
            pass
        finally:
            await self.km.cleanup_resources()
            if self.kc is not None:
                self.kc.stop_channels()
            self.km = None
            self.kc = None

    async def run(self, nb, allow_errors: bool = False):
        client = NotebookClient(
            nb,
            km=self.km,
            kernel_name=KERNEL,
            timeout=CELL_TIMEOUT_S,
            startup_timeout=STARTUP_TIMEOUT_S,
            record_timing=False,
            allow_errors=allow_errors,
        )
        client.kc = self.kc
        try:
            return await client.async_execute()
        finally:
            # the client registers a shutdown of "its" kernel at exit: this worker owns the kernel
            atexit.unregister(client._cleanup_kernel)

    async def reset(self, env: dict) -> None:
        """A fresh kernel's state and this notebook's environment (see tslab-batch-kernel.cjs)."""
        cell = nbformat.v4.new_code_cell(RESET + json.dumps({"env": env}, sort_keys=True))
        await self.run(nbformat.v4.new_notebook(cells=[cell]))

    async def execute(self, text: str, env: dict) -> dict:
        kernel_ms = 0.0
        if self.km is None:
            kernel_ms += await self.start()
        try:
            await self.reset(env)
        except Exception:
            # the last notebook left something a reset cannot undo: a new kernel
            await self.stop()
            kernel_ms += await self.start()
            await self.reset(env)
        nb = nbformat.reads(text, as_version=4)
        try:
            await self.run(nb)
        except Exception as e:  # CellExecutionError, CellTimeoutError, DeadKernelError, ...
            await self.stop()
            return {"ok": False, "error": f"{type(e).__name__}: {e}", "kernelMs": kernel_ms}
        return {"ok": True, "notebook": nbformat.writes(nb), "kernelMs": kernel_ms}


async def main() -> None:
    worker = Worker()
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            if not line.strip():
                continue
            try:
                req = json.loads(line)
                if req.get("start"):
                    # warm up: start the kernel before the first notebook arrives
                    res = {"ok": True, "kernelMs": await worker.start()} if worker.km is None else {"ok": True, "kernelMs": 0}
                else:
                    res = await worker.execute(req["notebook"], req.get("env") or {})
            except Exception as e:
                res = {"ok": False, "error": f"{type(e).__name__}: {e}\n{traceback.format_exc()}"}
            sys.stdout.write(json.dumps(res) + "\n")
            sys.stdout.flush()
    finally:
        await worker.stop()


if __name__ == "__main__":
    asyncio.run(main())
