from sahelbrief.cli import run

run()
