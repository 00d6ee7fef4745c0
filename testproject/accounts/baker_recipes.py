from django.contrib.auth.models import User
from model_bakery.recipe import Recipe, seq

staff_user = Recipe(User, username=seq("staff"), is_staff=True)
