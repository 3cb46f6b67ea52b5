"""The self-practice simulation engine (pure functions, no database).

A run's state is the current node, the flags its choices have set, the points
per criterion and the steps taken. ``choose`` applies a listed option;
``ask`` matches a typed question to the node's intents by keywords — locally,
nothing leaves the server. A question no intent matches leaves the run where
it is and records the subject's fallback reaction.
"""

import re
import unicodedata
from dataclasses import dataclass

from learn.content.drills import Choice, Node, Simulation

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class RunState:
    node_id: str
    flags: tuple[str, ...]
    scores: dict
    steps: tuple[dict, ...]


def start(sim: Simulation) -> RunState:
    return RunState(sim.start, (), {}, ())


def normalize(text: str) -> str:
    """Fold width and case and drop spaces and punctuation, for keyword matching."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


def match_intent(node: Node, question: str) -> Choice | None:
    """The intent whose keywords the question hits most (at least its ``min_matches``)."""
    text = normalize(question)
    best, best_hits = None, 0
    for intent in node.intents:
        hits = sum(1 for word in intent.keywords if normalize(word) and normalize(word) in text)
        if hits >= intent.min_matches and hits > best_hits:
            best, best_hits = intent, hits
    return best


def _apply(sim: Simulation, state: RunState, move: Choice, step: dict) -> RunState:
    flags = tuple(sorted(set(state.flags) | set(move.sets)))
    target = move.target(frozenset(flags))
    scores = dict(state.scores)
    for criterion, delta in move.effects.items():
        scores[criterion] = scores.get(criterion, 0) + delta
    step = {
        **step,
        "node": state.node_id,
        "choice": move.id,
        "feedback": move.feedback,
        "effects": dict(move.effects),
    }
    return RunState(target, flags, scores, (*state.steps, step))


def choose(sim: Simulation, state: RunState, option_id: str) -> RunState | None:
    """Take a listed option of the current node; None when it has no such option."""
    node = sim.node(state.node_id)
    option = next((o for o in node.options if o.id == option_id), None) if node else None
    if option is None:
        return None
    return _apply(sim, state, option, {"kind": "option", "text": option.text})


def ask(sim: Simulation, state: RunState, question: str) -> RunState:
    """Answer a typed question: follow the matched intent, or record the fallback and stay."""
    node = sim.node(state.node_id)
    intent = match_intent(node, question)
    if intent is None:
        step = {
            "kind": "unmatched",
            "node": state.node_id,
            "choice": "",
            "text": question,
            "feedback": node.fallback,
            "effects": {},
        }
        return RunState(state.node_id, state.flags, state.scores, (*state.steps, step))
    return _apply(sim, state, intent, {"kind": "typed", "text": question, "intent": intent.text})


def is_finished(sim: Simulation, state: RunState) -> bool:
    return sim.ending(state.node_id) is not None
