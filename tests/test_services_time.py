import asyncio
import datetime
import pickle
import re
import sys
import time
import types
import unittest
import uuid
from datetime import date, timedelta, timezone

import freezegun
import freezegun.api
import pytest
from django.core import signing
from django.test import SimpleTestCase
from django.utils import timezone as django_timezone

import django_integration_kit.services.time as kit_time
from django_integration_kit import IntegrationTestCase, frozen_time, login_as, make_user
from django_integration_kit.services import Clock

UTC = timezone.utc
NEW_YEAR = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
REAL_DATETIME = datetime.datetime
REAL_TIME = time.time
REAL_LOOP_TIME = asyncio.BaseEventLoop.__dict__["time"]
# Whether uuid1() is safe says which generator made it: the system's or Python's fallback.
REAL_UUID1_SAFETY = uuid.uuid1().is_safe


def assert_real_clock():
    assert datetime.datetime is REAL_DATETIME
    assert datetime.date is freezegun.api.real_date
    assert time.time is REAL_TIME
    assert asyncio.BaseEventLoop.__dict__["time"] is REAL_LOOP_TIME
    assert freezegun.api.freeze_factories == []
    assert django_timezone.now().year >= 2026
    assert abs(django_timezone.now().timestamp() - REAL_TIME()) < 60


def fresh_module(name, source):
    module = types.ModuleType(name)
    exec(source, module.__dict__)
    sys.modules[name] = module
    return module


@pytest.fixture(params=["first freeze", "later freeze"])
def freeze_order(request, monkeypatch):
    # The first freeze of a process sets the kit up (what to patch, and a scan of every
    # module); later ones reuse that. Either must freeze, and give back, the same things.
    if request.param == "first freeze":
        monkeypatch.setattr(kit_time, "_PATCHER", [])
    else:
        with frozen_time("2020-01-01"):
            pass


# What is frozen


@pytest.mark.usefixtures("freeze_order")
def test_freezes_timezone_now_datetime_date_and_time():
    with frozen_time("2026-01-01T09:00:00Z"):
        assert django_timezone.now() == NEW_YEAR
        assert datetime.datetime.now() == datetime.datetime(2026, 1, 1, 9, 0)
        assert datetime.datetime.now(UTC) == NEW_YEAR
        assert date.today() == date(2026, 1, 1)
        assert datetime.date.today() == date(2026, 1, 1)
        assert time.time() == NEW_YEAR.timestamp()
        assert time.time_ns() == int(NEW_YEAR.timestamp()) * 10**9


@pytest.mark.usefixtures("freeze_order")
def test_freezes_the_time_modules_other_clocks_and_gives_them_back():
    with frozen_time("2026-01-01T09:00:00Z") as clock:
        monotonic, perf_counter = time.monotonic(), time.perf_counter()
        monotonic_ns, perf_counter_ns = time.monotonic_ns(), time.perf_counter_ns()
        clock.tick(5)

        assert time.monotonic() - monotonic == 5
        assert time.perf_counter() - perf_counter == 5
        assert time.monotonic_ns() - monotonic_ns == 5 * 10**9
        assert time.perf_counter_ns() - perf_counter_ns == 5 * 10**9
        # The test project's time zone is UTC.
        assert time.gmtime()[:6] == (2026, 1, 1, 9, 0, 5)
        assert time.localtime()[:6] == (2026, 1, 1, 9, 0, 5)
        assert time.strftime("%Y-%m-%d %H:%M:%S") == "2026-01-01 09:00:05"

    assert time.monotonic is freezegun.api.real_monotonic
    assert time.perf_counter_ns is freezegun.api.real_perf_counter_ns
    assert time.gmtime()[0] >= 2026


@pytest.mark.usefixtures("freeze_order")
def test_freezes_names_bound_with_from_imports_in_loaded_modules():
    module = fresh_module(
        "kit_tests_from_imports",
        "from datetime import datetime, date\nfrom time import time as stamp\n",
    )
    try:
        with frozen_time("2026-01-01T09:00:00Z"):
            assert module.datetime.now(UTC) == NEW_YEAR
            assert module.date.today() == date(2026, 1, 1)
            assert module.stamp() == NEW_YEAR.timestamp()
        assert module.datetime is REAL_DATETIME
        assert module.stamp is REAL_TIME
    finally:
        del sys.modules["kit_tests_from_imports"]


def test_modules_loaded_or_changed_since_an_earlier_freeze_are_frozen_too():
    with frozen_time("2020-01-01"):
        pass  # the scan is cached now
    module = fresh_module("kit_tests_late", "import datetime\n")
    try:
        with frozen_time("2026-01-01T09:00:00Z"):
            assert module.datetime.datetime.now(UTC) == NEW_YEAR
        exec("from datetime import datetime as later", module.__dict__)
        with frozen_time("2026-01-01T09:00:00Z"):
            assert module.later.now(UTC) == NEW_YEAR
        assert module.later is REAL_DATETIME
    finally:
        del sys.modules["kit_tests_late"]


def test_a_module_replaced_in_sys_modules_since_an_earlier_freeze_is_frozen():
    fresh_module("kit_tests_replaced", "from datetime import datetime\n")
    try:
        with frozen_time("2020-01-01"):
            pass  # the scan is cached now
        # Another module under the same name, with as many globals but another binding.
        replacement = fresh_module(
            "kit_tests_replaced", "from datetime import datetime as stamp\n"
        )
        with frozen_time("2026-01-01T09:00:00Z"):
            assert replacement.stamp.now(UTC) == NEW_YEAR
    finally:
        del sys.modules["kit_tests_replaced"]


@pytest.mark.usefixtures("freeze_order")
def test_modules_imported_inside_the_block_get_the_real_objects_back():
    with frozen_time("2026-01-01"):
        module = fresh_module("kit_tests_imported_inside", "from datetime import datetime\n")
        assert module.datetime is freezegun.api.FakeDatetime
    try:
        assert module.datetime is REAL_DATETIME
    finally:
        del sys.modules["kit_tests_imported_inside"]


@pytest.mark.usefixtures("freeze_order")
def test_modules_imported_inside_the_block_keep_their_other_globals():
    with frozen_time("2026-01-01"):
        module = fresh_module(
            "kit_tests_imported_with_globals", "from datetime import date\nGREETING = 'hi'\n"
        )
    try:
        assert module.date is freezegun.api.real_date
        assert module.GREETING == "hi"
        assert module.__name__ == "kit_tests_imported_with_globals"
    finally:
        del sys.modules["kit_tests_imported_with_globals"]


def test_objects_in_sys_modules_that_are_not_modules_are_left_alone():
    lookalike = types.SimpleNamespace(datetime=REAL_DATETIME)
    with frozen_time("2026-01-01"):
        sys.modules["kit_tests_not_a_module"] = lookalike
    try:
        assert lookalike.datetime is REAL_DATETIME
    finally:
        del sys.modules["kit_tests_not_a_module"]
    assert_real_clock()


def test_a_module_added_to_the_ignore_list_after_a_freeze_is_ignored(monkeypatch):
    module = fresh_module("kit_tests_ignored_later", "from datetime import datetime\n")
    try:
        with frozen_time("2020-01-01"):
            assert module.datetime.now().year == 2020  # the scan is cached now
        monkeypatch.setattr(
            freezegun.config.settings,
            "default_ignore_list",
            [*freezegun.config.settings.default_ignore_list, "kit_tests_ignored_later"],
        )
        with frozen_time("2026-01-01"):
            frozen_there = module.datetime
    finally:
        del sys.modules["kit_tests_ignored_later"]
    assert frozen_there is REAL_DATETIME


def test_a_module_whose_namespace_is_not_a_dict_is_left_alone():
    class ReadOnlyModule(types.ModuleType):
        @property
        def __dict__(self):
            return types.MappingProxyType({"__name__": self.__name__, "datetime": REAL_DATETIME})

    sys.modules["kit_tests_read_only"] = ReadOnlyModule("kit_tests_read_only")
    try:
        with frozen_time("2026-01-01"):
            assert datetime.datetime.now().year == 2026
    finally:
        del sys.modules["kit_tests_read_only"]
    assert_real_clock()


def test_modules_freezegun_ignores_keep_the_real_objects(monkeypatch):
    ignored = fresh_module("kit_tests_ignored", "from datetime import datetime\n")
    six_moves = fresh_module("kit_tests_vendored.six.moves", "from datetime import datetime\n")
    monkeypatch.setattr(
        freezegun.config.settings,
        "default_ignore_list",
        [*freezegun.config.settings.default_ignore_list, "kit_tests_ignored"],
    )
    try:
        with frozen_time("2026-01-01"):
            ignored_datetime, six_moves_datetime = ignored.datetime, six_moves.datetime
            assert datetime.datetime.now().year == 2026
        assert ignored_datetime is REAL_DATETIME
        assert six_moves_datetime is REAL_DATETIME
    finally:
        del sys.modules["kit_tests_ignored"], sys.modules["kit_tests_vendored.six.moves"]


def test_code_in_modules_freezegun_ignores_reads_the_real_clock(monkeypatch):
    # As under freezegun, whose list holds threading, queue, selenium...: their waits and
    # timeouts still run out while the clock is frozen.
    caller = fresh_module(
        "kit_tests_ignored_caller", "import time\n\ndef stamp():\n    return time.time()\n"
    )
    monkeypatch.setattr(
        freezegun.config.settings,
        "default_ignore_list",
        [*freezegun.config.settings.default_ignore_list, "kit_tests_ignored_caller"],
    )
    try:
        with frozen_time("2020-01-01"):
            assert time.time() == datetime.datetime(2020, 1, 1, tzinfo=UTC).timestamp()
            stamped = caller.stamp()
    finally:
        del sys.modules["kit_tests_ignored_caller"]
    assert abs(stamped - time.time()) < 60


def test_a_freeze_that_fails_to_start_leaves_the_real_clock(monkeypatch):
    # A module where its name belongs, as in freezegun.configure(extend_ignore_list=[celery]),
    # fails the scan for what to freeze.
    monkeypatch.setattr(
        freezegun.config.settings,
        "default_ignore_list",
        [*freezegun.config.settings.default_ignore_list, types],
    )

    with pytest.raises(TypeError), frozen_time(NEW_YEAR):
        pass

    assert_real_clock()


def test_a_clock_a_module_picks_on_first_use_in_a_block_is_frozen_in_later_blocks():
    # Timers and rate limiters often take time.monotonic on first use; here that is inside a
    # first block that also imports modules, as a first request imports the views.
    timer = fresh_module(
        "kit_tests_lazy_timer",
        "import time\n\nclock = None\n\n"
        "def now():\n    global clock\n    clock = clock or time.monotonic\n    return clock()\n",
    )
    try:
        for _ in range(2):
            with frozen_time(NEW_YEAR) as clock:
                fresh_module("kit_tests_imported_meanwhile", "")
                started = timer.now()
                clock.tick(5)
                assert timer.now() - started == 5
            del sys.modules["kit_tests_imported_meanwhile"]
    finally:
        del sys.modules["kit_tests_lazy_timer"]


def test_model_defaults_use_the_frozen_clock(db):
    with frozen_time("2026-01-01T09:00:00Z"):
        user = make_user()

    user.refresh_from_db()
    assert user.date_joined == NEW_YEAR


def test_signed_tokens_expire_on_the_frozen_clock():
    signer = signing.TimestampSigner(salt="kit-tests")
    with frozen_time("2026-01-01T09:00:00Z") as clock:
        token = signer.sign("invite")
        clock.tick(timedelta(hours=47))
        assert signer.unsign(token, max_age=timedelta(hours=48)) == "invite"
        clock.tick(timedelta(hours=2))
        with pytest.raises(signing.SignatureExpired):
            signer.unsign(token, max_age=timedelta(hours=48))


def test_sessions_expire_on_the_frozen_clock(db, client, settings):
    with frozen_time("2026-01-01T09:00:00Z") as clock:
        login_as(client)
        assert client.get("/dashboard/").status_code == 200
        clock.tick(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        assert client.get("/dashboard/").status_code == 302


@pytest.mark.usefixtures("freeze_order")
def test_uuid1_and_pickling_work_under_the_frozen_clock():
    with frozen_time("2026-01-01T09:00:00Z"):
        assert uuid.uuid1() != uuid.uuid1()
        assert pickle.loads(pickle.dumps(django_timezone.now())) == NEW_YEAR


def test_dates_and_times_made_before_the_block_pickle_inside_it():
    # Such as a module's constants or setUpTestData's objects, going into the cache or the
    # session.
    made_before = [NEW_YEAR, NEW_YEAR.date()]

    with frozen_time("2030-06-01"):
        assert pickle.loads(pickle.dumps(made_before)) == made_before


def test_uuid1_and_pickling_are_real_again_after_the_block(monkeypatch):
    with frozen_time("2026-01-01T09:00:00Z"):
        uuid.uuid1()

    assert uuid.uuid1().is_safe == REAL_UUID1_SAFETY
    assert type(pickle.loads(pickle.dumps(REAL_DATETIME.now()))) is REAL_DATETIME
    assert type(pickle.loads(pickle.dumps(date.today()))) is freezegun.api.real_date
    # Where the system has no uuid1 of its own, Python's fallback keeps working too.
    monkeypatch.setattr(uuid, "_generate_time_safe", None)
    assert uuid.uuid1() != uuid.uuid1()


@pytest.mark.usefixtures("freeze_order")
def test_async_code_does_not_hang_under_the_frozen_clock():
    async def waits():
        await asyncio.sleep(0)
        await asyncio.sleep(0.001)
        return await asyncio.wait_for(asyncio.sleep(0, result="done"), timeout=0.5)

    with frozen_time("2026-01-01"):
        assert asyncio.run(waits()) == "done"
        assert django_timezone.now().year == 2026


# What `when` may be


@pytest.mark.parametrize(
    "when",
    [
        "2026-01-01T09:00:00Z",
        "2026-01-01T09:00:00+00:00",
        "2026-01-01 10:00:00+01:00",
        "2026-01-01T09:00",
        datetime.datetime(2026, 1, 1, 9, 0),
        datetime.datetime(2026, 1, 1, 4, 0, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_when_is_a_datetime_or_an_iso_string_aware_ones_honoured(when):
    with frozen_time(when) as clock:
        assert django_timezone.now() == NEW_YEAR
        assert clock.now() == NEW_YEAR


@pytest.mark.parametrize(
    "when", ["2026-03-01 09:00", "2026-03-01T09:00:00", datetime.datetime(2026, 3, 1, 9, 0)]
)
def test_a_naive_moment_is_read_in_the_current_time_zone(when, settings):
    settings.TIME_ZONE = "Europe/Berlin"  # UTC+1 in March

    with frozen_time(when) as clock:
        assert django_timezone.now() == datetime.datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
        assert django_timezone.localtime().hour == 9
        assert clock.now() == django_timezone.now()


@pytest.mark.parametrize(
    "when",
    [
        "2026-03-01T09:00:00+00:00",
        datetime.datetime(2026, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_an_aware_moment_is_kept_whatever_the_current_time_zone(when, settings):
    settings.TIME_ZONE = "Europe/Berlin"

    with frozen_time(when):
        assert django_timezone.now() == datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_the_time_zone_is_the_current_one_when_the_block_starts(settings):
    frozen = frozen_time("2026-03-01 09:00")
    settings.TIME_ZONE = "Europe/Berlin"

    with django_timezone.override("America/New_York"), frozen:  # UTC-5 in March
        assert django_timezone.now() == datetime.datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
    with frozen:
        assert django_timezone.now() == datetime.datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_a_date_is_midnight_in_the_current_time_zone_and_move_to_reads_alike(settings):
    settings.TIME_ZONE = "Europe/Berlin"

    with frozen_time(date(2026, 3, 1)) as clock:
        assert django_timezone.localtime() == datetime.datetime(
            2026, 3, 1, tzinfo=django_timezone.get_current_timezone()
        )
        clock.move_to("2026-03-02 12:00")
        assert django_timezone.now() == datetime.datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def test_without_use_tz_a_naive_moment_is_taken_as_it_is(settings):
    settings.USE_TZ = False
    settings.TIME_ZONE = "Europe/Berlin"

    with frozen_time("2026-03-01 09:00"):
        assert django_timezone.now() == datetime.datetime(2026, 3, 1, 9, 0)


def test_freezer_the_frozen_fixtures_type_is_exported_at_the_top():
    import django_integration_kit
    from django_integration_kit.services.time import Freezer

    assert django_integration_kit.Freezer is Freezer


# Django's parse_date() also reads a date without leading zeros.
@pytest.mark.parametrize("when", ["2026-01-01", "2026-1-1", date(2026, 1, 1)])
def test_when_is_a_date(when):
    with frozen_time(when):
        assert django_timezone.now() == datetime.datetime(2026, 1, 1, tzinfo=UTC)


def test_fractions_of_a_second_are_kept():
    with frozen_time("2026-01-01T09:00:00.250Z") as clock:
        assert django_timezone.now() == NEW_YEAR + timedelta(milliseconds=250)
        clock.move_to(NEW_YEAR + timedelta(microseconds=1))
        assert django_timezone.now() == NEW_YEAR + timedelta(microseconds=1)


def test_a_string_that_is_no_date_is_refused_naming_it():
    with pytest.raises(ValueError) as excinfo:
        frozen_time("not a date")

    assert str(excinfo.value) == (
        "frozen_time() cannot read 'not a date' as a date or time. Pass a datetime, a date "
        "or an ISO 8601 string such as '2026-01-31' or '2026-01-31T09:30:00+01:00'."
    )


def test_an_impossible_date_is_refused_with_the_reason():
    with pytest.raises(ValueError) as excinfo:
        frozen_time("2026-02-30")

    assert str(excinfo.value) == (
        "frozen_time() cannot read '2026-02-30' as a date or time (day is out of range for "
        "month). Pass a datetime, a date or an ISO 8601 string such as '2026-01-31' or "
        "'2026-01-31T09:30:00+01:00'."
    )


def test_other_types_are_refused():
    with pytest.raises(TypeError) as excinfo:
        frozen_time(1767258000)

    assert str(excinfo.value) == (
        "frozen_time() takes a datetime, a date or an ISO 8601 string, not int (1767258000)."
    )


# The clock


def test_tick_moves_by_a_second_a_timedelta_or_a_number_of_seconds():
    with frozen_time(NEW_YEAR) as clock:
        clock.tick()
        assert django_timezone.now() == NEW_YEAR + timedelta(seconds=1)
        clock.tick(timedelta(days=14))
        assert django_timezone.now() == NEW_YEAR + timedelta(days=14, seconds=1)
        clock.tick(58.5)
        assert django_timezone.now() == NEW_YEAR + timedelta(days=14, seconds=59.5)
        assert clock.now() == django_timezone.now()


def test_tick_refuses_anything_else():
    with frozen_time(NEW_YEAR) as clock, pytest.raises(TypeError) as excinfo:
        clock.tick("1 day")

    assert str(excinfo.value) == (
        "Clock.tick() takes a timedelta or a number of seconds, not str ('1 day')."
    )


def test_move_to_takes_what_frozen_time_takes():
    with frozen_time(NEW_YEAR) as clock:
        clock.move_to("2026-03-01")
        assert django_timezone.now() == datetime.datetime(2026, 3, 1, tzinfo=UTC)
        clock.move_to(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))))
        assert django_timezone.now() == datetime.datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
        with pytest.raises(ValueError, match=r"^Clock\.move_to\(\) cannot read 'soon'"):
            clock.move_to("soon")


def test_now_is_aware_in_utc_under_use_tz_and_naive_without(settings):
    with frozen_time(NEW_YEAR) as clock:
        assert clock.now() == NEW_YEAR
        assert clock.now().tzinfo is UTC
        settings.USE_TZ = False
        assert clock.now() == datetime.datetime(2026, 1, 1, 9, 0)
        assert clock.now() == django_timezone.now()


def test_tick_true_lets_time_run_on_from_when():
    with frozen_time(NEW_YEAR, tick=True) as clock:
        first = django_timezone.now()
        time.sleep(0.002)
        second = django_timezone.now()
        clock.tick(timedelta(days=1))
        third = clock.now()

    assert NEW_YEAR <= first < second < NEW_YEAR + timedelta(minutes=1)
    assert third > NEW_YEAR + timedelta(days=1)


def test_move_to_on_a_ticking_clock_runs_on_from_the_new_moment():
    with frozen_time(NEW_YEAR, tick=True) as clock:
        clock.move_to("2030-06-01T12:00:00Z")
        moved = clock.now()

    assert (
        datetime.datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
        <= moved
        < datetime.datetime(2030, 6, 1, 12, 1, tzinfo=UTC)
    )


def test_a_ticking_clock_says_so_in_its_repr():
    with frozen_time(NEW_YEAR, tick=True) as clock:
        assert re.fullmatch(r"<Clock 2026-01-01T09:00:00(\.\d+)?Z ticking>", repr(clock))


def test_a_ticking_clock_inside_a_frozen_block_ticks():
    with frozen_time("2020-01-01"), frozen_time(NEW_YEAR, tick=True):
        first = django_timezone.now()
        time.sleep(0.002)
        second = django_timezone.now()

    assert NEW_YEAR <= first < second < NEW_YEAR + timedelta(minutes=1)
    assert_real_clock()


def test_the_clock_is_importable_for_annotations():
    with frozen_time(NEW_YEAR) as clock:
        assert isinstance(clock, Clock)
        assert repr(clock) == "<Clock 2026-01-01T09:00:00Z>"


# Restoring the world, nesting, decorators


@pytest.mark.usefixtures("freeze_order")
def test_the_real_clock_is_back_after_the_block_and_after_an_exception():
    with frozen_time(NEW_YEAR):
        pass
    assert_real_clock()

    with pytest.raises(ZeroDivisionError), frozen_time(NEW_YEAR):
        raise ZeroDivisionError
    assert_real_clock()


def test_blocks_nest_and_the_outer_clock_comes_back():
    with frozen_time(NEW_YEAR) as outer:
        with frozen_time("2030-06-01"):
            assert django_timezone.now().year == 2030
        assert django_timezone.now() == NEW_YEAR
        outer.tick(5)
        assert django_timezone.now() == NEW_YEAR + timedelta(seconds=5)
    assert_real_clock()


def test_the_same_instance_can_be_entered_again_while_active():
    frozen = frozen_time(NEW_YEAR)
    with frozen as outer, frozen as inner:
        inner.tick(10)
        assert django_timezone.now() == NEW_YEAR + timedelta(seconds=10)
        assert outer.now() == NEW_YEAR
    assert_real_clock()


def test_nests_with_plain_freezegun_both_ways():
    with freezegun.freeze_time("2030-06-01"):
        with frozen_time(NEW_YEAR):
            assert django_timezone.now() == NEW_YEAR
        assert django_timezone.now().year == 2030
    assert_real_clock()

    with frozen_time(NEW_YEAR):
        with freezegun.freeze_time("2030-06-01"):
            assert django_timezone.now().year == 2030
        assert django_timezone.now() == NEW_YEAR
    assert_real_clock()


def test_function_decorator_with_the_clock_as_a_keyword_argument():
    @frozen_time(NEW_YEAR, kwarg_name="clock")
    def check(clock):
        clock.tick(1)
        return django_timezone.now()

    assert check() == NEW_YEAR + timedelta(seconds=1)
    assert check() == NEW_YEAR + timedelta(seconds=1)
    assert_real_clock()


def test_async_function_decorator():
    @frozen_time(NEW_YEAR)
    async def check():
        await asyncio.sleep(0.001)
        return django_timezone.now()

    assert asyncio.run(check()) == NEW_YEAR
    assert_real_clock()


@frozen_time("2026-01-01T09:00:00Z", attr_name="clock")
class FrozenClassTests(IntegrationTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = cls.make_user()

    def test_set_up_test_data_ran_on_the_frozen_clock(self):
        assert self.member.date_joined == NEW_YEAR

    def test_each_test_starts_at_when_a(self):
        assert django_timezone.now() == NEW_YEAR
        self.clock.tick(timedelta(days=1))

    def test_each_test_starts_at_when_b(self):
        assert django_timezone.now() == NEW_YEAR
        self.clock.tick(timedelta(days=1))


def test_the_class_decorator_restored_the_clock():
    assert_real_clock()


def test_the_class_decorator_freezes_set_up_class_and_gives_each_test_the_clock():
    seen = []

    @frozen_time(NEW_YEAR, attr_name="clock")
    class Trial(SimpleTestCase):
        @classmethod
        def setUpClass(cls):
            super().setUpClass()
            seen.append(django_timezone.now())

        def test_one(self):
            self.clock.tick(60)
            seen.append(django_timezone.now())

    # Run as Django's runner runs it: setUpClass, each test, tearDownClass.
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Trial).run(result)

    assert (result.errors, result.failures) == ([], [])
    assert seen == [NEW_YEAR, NEW_YEAR + timedelta(minutes=1)]
    assert_real_clock()


class KitMethodTests(IntegrationTestCase):
    def test_self_frozen_time(self):
        with self.frozen_time("2026-01-01T09:00:00Z", tick=False) as clock:
            user = self.login_as()
            clock.tick(timedelta(days=1))
            assert self.client.get("/dashboard/").status_code == 200
        assert user.date_joined == NEW_YEAR
        assert_real_clock()


class FrozenInSetUpTests(IntegrationTestCase):
    def setUp(self):
        frozen = self.frozen_time(NEW_YEAR)
        self.clock = frozen.enable()
        self.addCleanup(frozen.disable)

    def test_frozen_from_set_up(self):
        assert django_timezone.now() == NEW_YEAR
        self.clock.tick(60)
        assert django_timezone.now() == NEW_YEAR + timedelta(minutes=1)
