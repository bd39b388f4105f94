def role(request):
    roles = getattr(request, "roles", [])
    return {"role": getattr(request, "role", ""), "roles": roles}
