import time

from django.core.management.base import BaseCommand

from mreza.networks.services import claim_next, run_round


class Command(BaseCommand):
    help = "Run queued grouping rounds (for MREZA_JOBS=worker). Polls the database; --once runs what is queued."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, once=False, interval=2.0, **options):
        while True:
            round_id = claim_next()
            if round_id is not None:
                round_ = run_round(round_id, claimed=True)
                self.stdout.write(f"round {round_id}: {round_.status}")
                continue
            if once:
                return
            time.sleep(interval)
