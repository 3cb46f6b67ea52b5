# Thin aliases for the two README commands (dev.py needs only Python).
.PHONY: run test
run:
	python3 dev.py run
test:
	python3 dev.py test
