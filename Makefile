# Thin aliases for the README commands (dev.py needs only Python).
# make bench [SIZE=small|large|N] [ONLY=search,library,http,pg]: see docs/performance.md.
.PHONY: run test bench
SIZE ?= small
run:
	python3 dev.py run
test:
	python3 dev.py test
bench:
	.venv/bin/python bench/run.py --size $(SIZE) $(if $(ONLY),--only $(ONLY))
