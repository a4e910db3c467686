"""The load test's reading of a server's CPU time (``loadtest.cpu_s``), on this test's own process."""

import os
import time

from dashboard import loadtest


def test_cpu_time_grows_with_work_and_sums_over_processes():
    me = os.getpid()
    before = loadtest.cpu_s([me])
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:  # 0,2 s of CPU, whatever the machine's load
        sum(range(1000))
    after = loadtest.cpu_s([me])
    assert before is not None and after - before >= 0.15
    assert loadtest.cpu_s([me, me]) >= 2 * after - 0.05  # summed over the pids named


def test_cpu_time_of_no_readable_process_is_none():
    assert loadtest.cpu_s([]) is None
    assert loadtest.cpu_s([2**22 + 12345]) is None  # above the kernel's largest pid
