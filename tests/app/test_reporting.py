"""What a run writes while it trains: logs at every entry, plots when a
minute has passed and at the end."""

from chainvision.app import reporting


class _Folder:
    def __init__(self):
        self.logs, self.plots, self.closed = [], [], False

    def write_log(self, entries):
        self.logs.append(len(entries))

    def write_plots(self, entries):
        self.plots.append(len(entries))

    def close(self):
        self.closed = True


class _LogReport:
    def __init__(self):
        self.log = []


def test_logs_are_written_at_every_entry_and_plots_once_a_minute_and_at_the_end(monkeypatch):
    clock = [1000.]
    monkeypatch.setattr(reporting.time, 'monotonic', lambda: clock[0])
    folder, log_report = _Folder(), _LogReport()
    run_files = reporting.RunFiles(folder, log_report)
    for seconds in (10, 30, 65, 70, 80, 130):       # an entry at each of these seconds
        clock[0] = 1000. + seconds
        log_report.log.append({'epoch': seconds})
        run_files(None)
        run_files(None)                              # no new entry: nothing written
    assert folder.logs == [1, 2, 3, 4, 5, 6]
    assert folder.plots == [3, 6]                    # at 65 s and 130 s
    log_report.log.append({'epoch': 140})
    run_files(None)
    run_files.finalize()
    assert folder.plots == [3, 6, 7] and folder.closed
