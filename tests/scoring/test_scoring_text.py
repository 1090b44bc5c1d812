import random
import string

from scoring.text import (
    fold,
    has_cjk,
    is_chinese,
    normalize,
    prepare,
    speech_units,
    strip_quoted,
)


def test_normalize_english_drops_case_and_punctuation():
    assert normalize("Hello, I'm  HERE!") == "hello i m here"


def test_traditional_and_simplified_fold_to_the_same_text():
    assert normalize("請問有什麼可以幫您？") == normalize("请问有什么可以帮您?")
    assert fold("帳單") == "帐单"


def test_chinese_loses_spaces_but_latin_words_stay_apart():
    assert normalize("您好 ， 我 的 iPhone 12 壞了") == "您好我的iphone 12坏了"


def test_helpers():
    assert has_cjk("abc 中") and not has_cjk("abc")
    assert (
        is_chinese("zh-TW") and is_chinese("zh") and not is_chinese("en") and not is_chinese(None)
    )
    assert strip_quoted('he said "not my problem" today').split() == ["he", "said", "today"]
    assert strip_quoted("他說「不關我的事」") == "他說 "
    assert speech_units("two words") == 2
    assert speech_units("您好 ok") == 3


def test_prepare_equals_normalize_and_fold_one_text_at_a_time():
    rng = random.Random(3)
    alphabet = string.printable + "\x00\x07\x1c\x1f\x7fé’“”中國臺灣\u3000\xa0\x85_"
    batches = [["Hello, I'm  HERE!", "", "  ", "Okay.\nThanks", "請問有什麼可以幫您？"]]
    for _ in range(400):
        size = rng.randint(0, 8)
        batches.append(["".join(rng.choices(alphabet, k=rng.randint(0, 25))) for _ in range(size)])
    batches.append(["plain ascii only", "Second, line!", "x\x00y"])
    for texts in batches:
        norm, folded = prepare(texts)
        assert norm == [normalize(t) for t in texts]
        # only alphanumerics and single spaces: phrase matching relies on it
        assert all(n.replace(" ", "").isalnum() or not n.replace(" ", "") for n in norm)
        assert not any("  " in n or n != n.strip() for n in norm)
        assert folded == [fold(t).replace("\n", " ") for t in texts]
