from django.shortcuts import render

from weather.api import WeatherUnavailable, current_weather


def current(request):
    city = request.GET.get("city", "").strip() or "Oslo"
    try:
        weather = current_weather(city)
    except WeatherUnavailable:
        weather = None
    return render(request, "weather/current.html", {"city": city, "weather": weather})
