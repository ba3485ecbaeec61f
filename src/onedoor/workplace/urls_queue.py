"""Routes of the workplace area: the queues, tasks and the specialist's time (WORK-1, FLOW-2, COST-3)."""

from django.urls import URLPattern, path

from . import views_queue

urlpatterns: list[URLPattern] = [
    path("", views_queue.queue, name="queue"),
    path("queue/items/", views_queue.queue_items, name="queue-items"),
    path("tasks/new/", views_queue.task_new, name="task-new"),
    path("tasks/<uuid:task_id>/", views_queue.task_detail, name="task"),
    path("tasks/<uuid:task_id>/pick/", views_queue.task_pick_view, name="task-pick"),
    path("tasks/<uuid:task_id>/hand-over/", views_queue.task_hand_over_view, name="task-hand-over"),
    path("tasks/<uuid:task_id>/return/", views_queue.task_return_view, name="task-return"),
    path("tasks/<uuid:task_id>/complete/", views_queue.task_complete_view, name="task-complete"),
    path("time/", views_queue.time_records, name="time"),
]
