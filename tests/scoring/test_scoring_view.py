from scoring.detectors import Context, build_detector
from scoring.view import ANY, CallView, Scope

LINES = [
    "A|@0|Thank you for calling, how can I help?",
    "C|@4|Thank you, I need help with my bill.",
    "A|@8|Sure, I can help with that bill.",
    "C|@12|Great, thank you.",
]


def test_find_yields_positions_in_the_call_text_and_segment_indices(make_call):
    view = CallView(make_call(LINES))
    found = list(view.corpus(Scope(ANY)).find("thank you"))
    assert [index for _, index in found] == [0, 1, 3]
    assert all(view.text[pos : pos + 9] == "thank you" for pos, _ in found)


def test_find_keeps_to_the_scope_role_and_window(make_call):
    view = CallView(make_call(LINES))
    assert [i for _, i in view.corpus(Scope("agent")).find("help")] == [0, 2]
    assert [i for _, i in view.corpus(Scope("customer")).find("help")] == [1]
    window = Scope(ANY).narrowed(3.0, 9.0)
    assert [i for _, i in view.corpus(window).find("bill")] == [1, 2]
    assert [i for _, i in view.corpus(window).find("bill", folded=True)] == [1, 2]
    assert list(view.corpus(Scope("unknown")).find("help")) == []


def test_holding_lists_the_segments_in_scope_that_contain_a_needle(make_call):
    view = CallView(make_call(LINES))
    for scope in (Scope(ANY), Scope("agent"), Scope("customer"), Scope(ANY).narrowed(3.0, 9.0)):
        corpus = view.corpus(scope)
        for needle, folded in (("help", False), ("thank", True), ("bill", False), ("zzz", False)):
            expected = sorted({i for _, i in corpus.find(needle, folded)})
            assert corpus.holding(needle, folded) == expected
    assert view.corpus(Scope("agent")).holding("help") == [0, 2]
    assert view.corpus(Scope("unknown")).holding("help") == []


def test_call_words_and_control_characters(make_call):
    view = CallView(make_call(LINES))
    assert {"thank", "bill", "help"} <= view.words
    odd = CallView(make_call(["A|@0|\x07Thank\x01you.", "C|@2|Thank goodness."]))
    assert odd.norm[0] == "thank you" and {"thank", "you", "goodness"} <= odd.words


def test_phrase_words_heard_only_from_the_other_role_do_not_count(make_call):
    call = make_call(["A|@0|Thanks, you too.", "C|@2|Thank you."])
    detector = build_detector({"type": "phrase", "phrases": ["thank you"], "fuzzy": False}, "d")
    assert not detector.run(Context(CallView(call)), Scope("agent")).found
    assert detector.run(Context(CallView(call)), Scope("customer")).found
    odd = make_call(["A|@0|\x07Thank you.", "C|@2|Fine."])
    assert detector.run(Context(CallView(odd)), Scope("agent")).found
    assert detector.run(Context(CallView(make_call(LINES))), Scope("agent")).found
