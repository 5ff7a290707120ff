from accounts import roles


def role(request) -> dict:
    user = request.user
    return {
        "is_applicant": roles.is_applicant(user),
        "is_bureau": roles.is_bureau(user),
        "is_expert": roles.is_expert(user),
        "is_admin": roles.is_admin(user),
        "is_district": roles.is_district(user),
        "is_oversight": roles.is_oversight(user),
    }
