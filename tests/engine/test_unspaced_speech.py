"""Speech in a script written without spaces (Japanese, Chinese, Thai) takes the time of its
characters, two to a word, not the one second of a single space-free word."""

from __future__ import annotations

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE
from twimlsim.engine.events import Gathered
from twimlsim.engine.flow import say_seconds, spoken_words

# 22 Japanese characters, the closing 。 not among them
JAPANESE = "お荷物のお届けは本日十七時から十九時の間です。"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (JAPANESE, 11.0),  # 22 characters of Han and Hiragana
        ("Twilio Logisticsです。", 3.0),  # two Latin words, then 2 kana as one more
        ("你好，欢迎致电。", 3.0),  # 6 Han characters; the full-width punctuation is none
        ("สวัสดีครับ", 5.0),  # 10 Thai characters
        ("Hello , world", 3.0),  # a text with spaces counts its words as before
    ],
)
def test_spoken_words_count_unspaced_characters_two_to_a_word(text: str, words: float) -> None:
    assert spoken_words(text) == words


def test_a_japanese_say_takes_the_time_of_its_characters() -> None:
    body = f'<Say language="ja-JP">{JAPANESE}</Say>'
    with simulator({"/voice": response(body)}) as (sim, _):
        call = place(sim)
        sim.run()
    assert (say_seconds(JAPANESE), call.duration) == (5, 5)  # 11 words at 2.5 a second


def test_a_far_end_speaking_chinese_takes_the_time_of_its_characters() -> None:
    body = '<Gather input="speech" language="zh-CN" speechTimeout="1" action="/got"/>'
    with simulator({"/voice": response(body), "/got": response("")}) as (sim, _):
        sim.phone(CALLEE).says("我想查询我的订单状态")  # 10 characters: 5 words, 2 s
        call = place(sim)
        sim.run()
    (gathered,) = [event for event in call.transcript if isinstance(event, Gathered)]
    assert (gathered.speech, (gathered.at - call.transcript[0].at).total_seconds()) == (
        "我想查询我的订单状态",
        3.0,  # 2 s of speech, then the 1 s speechTimeout
    )
