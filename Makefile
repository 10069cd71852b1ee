# Thin wrapper: everything lives in bin/qc.
.PHONY: setup run test lint bench stop
setup:
	bin/qc setup
run:
	bin/qc run
test:
	bin/qc test
lint:
	bin/qc lint
bench:
	bin/qc bench
stop:
	bin/qc db-stop
