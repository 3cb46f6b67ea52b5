"""A bare Flask "hello" app: the ceiling that page throughput is compared against."""

from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello():
    return "hello"
