"""The outside weather API, as the site calls it: with a timeout, a cache and a way to fail."""

from datetime import timedelta

import requests
from django.core.cache import cache
from django.utils import timezone

CURRENT_WEATHER_URL = "https://api.weather.example/v1/current"
TIMEOUT_SECONDS = 3
CACHED_FOR = timedelta(minutes=10)


class WeatherUnavailable(Exception):
    """The API failed, timed out or answered something we cannot read."""


def current_weather(city):
    """The weather in ``city`` as a dict, from the cache when we asked in the last 10 minutes."""
    key = f"weather:{city.lower()}"
    weather = cache.get(key)
    if weather is None:
        weather = _fetch(city)
        cache.set(key, weather, CACHED_FOR.total_seconds())
    return weather


def _fetch(city):
    try:
        response = requests.get(
            CURRENT_WEATHER_URL, params={"city": city}, timeout=TIMEOUT_SECONDS
        )
        response.raise_for_status()
        data = response.json()
        return {
            "city": data["city"],
            "temperature_c": round(float(data["temperature_c"])),
            "summary": data["summary"],
            "fetched_at": timezone.now(),
        }
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        raise WeatherUnavailable(city) from exc
