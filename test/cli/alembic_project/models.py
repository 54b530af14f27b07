# The project's models, imported by env.py as a real project's would be (prepend_sys_path).
import sqlalchemy as sa

metadata = sa.MetaData()
